// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Platform} from "./utils/Platform.sol";
import {Merkle} from "./utils/Merkle.sol";
import {AuthorizationToken} from "../src/test/AuthorizationToken.sol";
import {TagToken} from "../src/TagToken.sol";
import {TipRouter} from "../src/TipRouter.sol";
import {TokenFactory} from "../src/TokenFactory.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev Every user-facing function, called through the forwarder, acts for the signer and never the relayer.
contract MetaTxTest is Platform {
    address internal user;
    uint256 internal userKey;
    address internal creator;
    address internal relayer;

    function setUp() public override {
        super.setUp();
        (user, userKey) = makeAddrAndKey("user");
        creator = makeAddr("creator");
        relayer = makeAddr("relayer");
        vm.prank(admin);
        token.transfer(user, 1_000e18);
    }

    function _relayCall(address to, bytes memory data, uint256 value) internal {
        _relay(_signedRequestWithValue(userKey, to, data, value));
    }

    function _assertRelayerUntouched() internal view {
        assertEq(token.balanceOf(relayer), 0);
        assertEq(token.allowance(relayer, address(router)), 0);
    }

    // --- TagToken ---

    function test_Token_TransferApproveDelegateBurnActForTheSigner() public {
        _relayCall(address(token), abi.encodeCall(IERC20.transfer, (creator, 10e18)), 0);
        assertEq(token.balanceOf(creator), 10e18);
        assertEq(token.balanceOf(user), 990e18);
        _relayCall(address(token), abi.encodeCall(IERC20.approve, (creator, 5e18)), 0);
        assertEq(token.allowance(user, creator), 5e18);
        _relayCall(address(token), abi.encodeWithSignature("delegate(address)", user), 0);
        assertEq(token.delegates(user), user);
        assertEq(token.getVotes(user), 990e18);
        _relayCall(address(token), abi.encodeCall(TagToken.burn, (90e18)), 0);
        assertEq(token.balanceOf(user), 900e18);
        _assertRelayerUntouched();
    }

    // --- VestingVault ---

    function test_Vault_ClaimManyAndClaimForPayTheBeneficiary() public {
        uint256 a = _createSchedule(user, 10e18, uint64(block.timestamp - 2 days), 0, 1 days);
        uint256 b = _createSchedule(user, 20e18, uint64(block.timestamp - 2 days), 0, 1 days);
        uint256 c = _createSchedule(user, 30e18, uint64(block.timestamp - 2 days), 0, 1 days);
        _relayCall(address(vault), abi.encodeCall(VestingVault.claim, (a)), 0);
        uint256[] memory ids = new uint256[](1);
        ids[0] = b;
        _relayCall(address(vault), abi.encodeCall(VestingVault.claimMany, (ids)), 0);
        _relayCall(address(vault), abi.encodeCall(VestingVault.claimFor, (c)), 0);
        assertEq(token.balanceOf(user), 1_060e18);
        _assertRelayerUntouched();
    }

    function test_Vault_ClaimMerklePaysTheBeneficiary() public {
        bytes32[] memory leaves = new bytes32[](2);
        uint64 start = uint64(block.timestamp - 10 days);
        leaves[0] = vault.merkleLeaf(user, 7e18, start, 0, 1 days);
        leaves[1] = vault.merkleLeaf(creator, 3e18, start, 0, 1 days);
        vm.prank(admin);
        uint256 dropId = vault.addMerkleRoot(Merkle.root(leaves), 10e18, false);
        _relayCall(
            address(vault),
            abi.encodeCall(VestingVault.claimMerkle, (dropId, user, 7e18, start, 0, 1 days, Merkle.proof(leaves, 0))),
            0
        );
        assertEq(token.balanceOf(user), 1_007e18);
        assertEq(vault.scheduleIdsOf(user).length, 1);
        _assertRelayerUntouched();
    }

    // --- TipRouter ---

    function test_Router_NativeTipSpendsTheRequestValueForTheSigner() public {
        vm.recordLogs();
        _relayCall(address(router), abi.encodeCall(TipRouter.tip, (address(0), creator, 1 ether, "gm")), 1 ether);
        assertEq(creator.balance, 1 ether);
        _assertTippedBy(user);
    }

    function test_Router_ERC20TipAndDistributeComeFromTheSigner() public {
        _relayCall(address(token), abi.encodeCall(IERC20.approve, (address(router), 100e18)), 0);
        vm.recordLogs();
        _relayCall(address(router), abi.encodeCall(TipRouter.tip, (address(token), creator, 10e18, "")), 0);
        _assertTippedBy(user);
        address[] memory rs = new address[](2);
        uint256[] memory as_ = new uint256[](2);
        (rs[0], rs[1], as_[0], as_[1]) = (creator, feeRecipient, 1e18, 2e18);
        _relayCall(address(router), abi.encodeCall(TipRouter.distribute, (address(token), rs, as_, "")), 0);
        assertEq(token.balanceOf(creator), 11e18);
        assertEq(token.balanceOf(user), 987e18);
        _assertRelayerUntouched();
    }

    function test_Router_TipWithPermitInOneGaslessRequest() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(userKey, address(token), address(router), 5e18, deadline);
        _relayCall(
            address(router),
            abi.encodeCall(TipRouter.tipWithPermit, (address(token), creator, 5e18, "", deadline, v, r, s)),
            0
        );
        assertEq(token.balanceOf(creator), 5e18);
        assertEq(token.balanceOf(user), 995e18);
        _assertRelayerUntouched();
    }

    function test_Router_TipWithAuthorizationIsTheAuthorizersWhoeverSignsTheRequest() public {
        AuthorizationToken usdc = new AuthorizationToken("USD Coin (test)", "USDC");
        usdc.mint(user, 100e6);
        uint256 validBefore = block.timestamp + 1 hours;
        bytes32 salt = keccak256("meta");
        (uint8 v, bytes32 r, bytes32 s) = _receiveAuthorization(
            userKey, address(usdc), address(router), 10e6, 0, validBefore, _tipNonce(creator, "gm", salt)
        );
        bytes memory data = abi.encodeCall(
            TipRouter.tipWithAuthorization, (address(usdc), user, creator, 10e6, "gm", 0, validBefore, salt, v, r, s)
        );
        // As core does: a one-time key signs the forward request, so the user signs only the authorization.
        (address oneTime, uint256 oneTimeKey) = makeAddrAndKey("one-time forward signer");
        vm.recordLogs();
        _relay(_signedRequestWithValue(oneTimeKey, address(router), data, 0));
        assertEq(usdc.balanceOf(creator), 10e6);
        assertEq(usdc.balanceOf(user), 90e6);
        _assertTippedBy(user);
        assertEq(usdc.balanceOf(relayer), 0);
        assertEq(usdc.balanceOf(oneTime), 0);
        assertEq(usdc.balanceOf(address(router)), 0);
        _assertRelayerUntouched();
    }

    function _assertTippedBy(address sender) internal {
        VmLog[] memory logs = _logs();
        bytes32 topic = TipRouter.Tipped.selector;
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(router) && logs[i].topics[0] == topic) {
                assertEq(address(uint160(uint256(logs[i].topics[2]))), sender);
                found = true;
            }
        }
        assertTrue(found);
    }

    struct VmLog {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function _logs() internal returns (VmLog[] memory out) {
        bytes memory raw = abi.encode(vm.getRecordedLogs());
        out = abi.decode(raw, (VmLog[]));
    }

    // --- TokenSale ---

    function test_Sale_NativeERC20AndPermitBuysCreditTheSigner() public {
        TagToken usd = new TagToken("USD", "USD", user, 1_000e6, address(forwarder));
        TokenSale.Config memory config = TokenSale.Config({
            saleToken: token,
            paymentToken: address(usd),
            price: 1e6,
            start: uint64(block.timestamp),
            end: uint64(block.timestamp + 1 days),
            totalCap: 100e18,
            perBuyerCap: 50e18,
            admin: admin,
            proceedsRecipient: admin
        });
        TokenSale usdSale = new TokenSale(address(forwarder), config);
        config.paymentToken = address(0);
        config.price = 1e15;
        TokenSale nativeSale = new TokenSale(address(forwarder), config);
        vm.startPrank(admin);
        token.transfer(address(usdSale), 100e18);
        token.transfer(address(nativeSale), 100e18);
        vm.stopPrank();

        _relayCall(address(nativeSale), abi.encodeCall(TokenSale.buy, (0.01 ether, 10e18)), 0.01 ether);
        assertEq(nativeSale.purchased(user), 10e18);
        assertEq(nativeSale.purchased(relayer), 0);

        _relayCall(address(usd), abi.encodeCall(IERC20.approve, (address(usdSale), 5e6)), 0);
        _relayCall(address(usdSale), abi.encodeCall(TokenSale.buy, (5e6, 5e18)), 0);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(userKey, address(usd), address(usdSale), 7e6, deadline);
        _relayCall(address(usdSale), abi.encodeCall(TokenSale.buyWithPermit, (7e6, 7e18, deadline, v, r, s)), 0);
        assertEq(usdSale.purchased(user), 12e18);
        assertEq(usd.balanceOf(user), 988e6);
        assertEq(token.balanceOf(user), 1_022e18);
        _assertRelayerUntouched();
    }

    // --- TokenFactory ---

    function test_Factory_CreatorIsTheSigner() public {
        bytes32 salt = keccak256("gasless");
        address predicted = factory.predictTokenAddress(salt, user);
        _relayCall(
            address(factory),
            abi.encodeCall(TokenFactory.createToken, (_tokenParams(5e18), _noVesting(), _noSale(), salt)),
            CREATION_FEE
        );
        TagToken created = TagToken(predicted);
        assertEq(created.balanceOf(user), 5e18);
        assertEq(created.balanceOf(relayer), 0);
        assertTrue(created.hasRole(created.DEFAULT_ADMIN_ROLE(), user));
        assertFalse(created.hasRole(created.DEFAULT_ADMIN_ROLE(), relayer));
    }
}
