// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Platform} from "./utils/Platform.sol";
import {TagToken} from "../src/TagToken.sol";
import {TokenSale} from "../src/TokenSale.sol";

/// @dev {TokenSale}: native and ERC-20 (permit) buys, window, caps, slippage, withdrawals, pause.
contract TokenSaleTest is Platform {
    uint256 internal constant CAP = 10_000e18;
    uint256 internal constant BUYER_CAP = 1_000e18;

    TagToken internal usd; // a payment token with permit
    TokenSale internal nativeSale;
    TokenSale internal usdSale;
    address internal seller;
    address internal buyer;
    uint256 internal buyerKey;
    uint64 internal start;
    uint64 internal end;

    function setUp() public override {
        super.setUp();
        seller = makeAddr("seller");
        (buyer, buyerKey) = makeAddrAndKey("buyer");
        usd = new TagToken("USD Test", "USDT", buyer, 1_000_000e6, address(forwarder));
        start = uint64(block.timestamp + 1 hours);
        end = uint64(block.timestamp + 7 days);
        nativeSale = _sale(address(0), 0.001 ether); // 1,000 tokens per ether
        usdSale = _sale(address(usd), 2e6); // 2 USD per token
        vm.deal(buyer, 100 ether);
    }

    function _config(address payment, uint256 price_) internal view returns (TokenSale.Config memory) {
        return TokenSale.Config({
            saleToken: token,
            paymentToken: payment,
            price: price_,
            start: start,
            end: end,
            totalCap: CAP,
            perBuyerCap: BUYER_CAP,
            admin: seller,
            proceedsRecipient: seller
        });
    }

    function _sale(address payment, uint256 price_) internal returns (TokenSale sale) {
        sale = new TokenSale(address(forwarder), _config(payment, price_));
        vm.prank(admin);
        token.transfer(address(sale), CAP);
    }

    // --- set-up and views ---

    function test_Views_ExposeConfiguration() public {
        assertEq(nativeSale.price(), 0.001 ether);
        (uint64 s, uint64 e) = nativeSale.window();
        assertEq(s, start);
        assertEq(e, end);
        (uint256 total, uint256 perBuyer) = nativeSale.caps();
        assertEq(total, CAP);
        assertEq(perBuyer, BUYER_CAP);
        assertEq(nativeSale.sold(), 0);
        assertEq(nativeSale.remaining(), CAP);
        assertEq(nativeSale.purchased(buyer), 0);
        assertEq(nativeSale.quote(1 ether), 1_000e18);
        assertEq(nativeSale.costOf(1_000e18), 1 ether);
        assertEq(usdSale.costOf(1), 1); // rounds up
        assertEq(address(nativeSale.saleToken()), address(token));
        assertEq(usdSale.paymentToken(), address(usd));
        assertFalse(nativeSale.isOpen());
        vm.warp(start);
        assertTrue(nativeSale.isOpen());
        assertEq(nativeSale.config().proceedsRecipient, seller);
        assertTrue(nativeSale.hasRole(nativeSale.SALE_ADMIN_ROLE(), seller));
    }

    function test_Constructor_RevertsOnInvalidConfig() public {
        TokenSale.Config memory c = _config(address(0), 0);
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        new TokenSale(address(forwarder), c);
        c = _config(address(0), 1);
        c.end = c.start;
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        new TokenSale(address(forwarder), c);
        c = _config(address(token), 1); // paying with the token sold
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        new TokenSale(address(forwarder), c);
        c = _config(address(0), 1);
        c.perBuyerCap = 0;
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        new TokenSale(address(forwarder), c);
    }

    function test_Initialize_ClonesOnceImplementationNever() public {
        TokenSale clone = TokenSale(payable(Clones.clone(address(saleImpl))));
        clone.initialize(_config(address(0), 1e15));
        assertEq(clone.price(), 1e15);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        clone.initialize(_config(address(0), 1e15));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        saleImpl.initialize(_config(address(0), 1e15));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        nativeSale.initialize(_config(address(0), 1e15));
    }

    // --- buy (native) ---

    function test_Buy_NativeDeliversAndRecords() public {
        vm.warp(start);
        vm.expectEmit(address(nativeSale));
        emit TokenSale.Purchased(buyer, 0.5 ether, 500e18);
        vm.prank(buyer);
        uint256 out = nativeSale.buy{value: 0.5 ether}(0.5 ether, 500e18);
        assertEq(out, 500e18);
        assertEq(token.balanceOf(buyer), 500e18);
        assertEq(nativeSale.sold(), 500e18);
        assertEq(nativeSale.purchased(buyer), 500e18);
        assertEq(nativeSale.remaining(), CAP - 500e18);
        assertEq(address(nativeSale).balance, 0.5 ether);
    }

    function test_Buy_RevertsOutsideWindow() public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleNotOpen.selector, block.timestamp, start, end));
        nativeSale.buy{value: 1 ether}(1 ether, 0);
        vm.warp(end);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleNotOpen.selector, end, start, end));
        nativeSale.buy{value: 1 ether}(1 ether, 0);
    }

    function test_Buy_RevertsOnSlippageZeroAndWrongValue() public {
        vm.warp(start);
        vm.startPrank(buyer);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleSlippage.selector, 1_000e18, 1_001e18));
        nativeSale.buy{value: 1 ether}(1 ether, 1_001e18);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleZeroAmount.selector, 0));
        nativeSale.buy(0, 0);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleWrongValue.selector, 1 ether, 0.5 ether));
        nativeSale.buy{value: 1 ether}(0.5 ether, 0);
        vm.stopPrank();
    }

    function test_Buy_RevertsOverBuyerCapAndTotalCap() public {
        vm.warp(start);
        vm.prank(buyer);
        nativeSale.buy{value: 0.8 ether}(0.8 ether, 0);
        vm.expectRevert(
            abi.encodeWithSelector(TokenSale.TokenSaleBuyerCapExceeded.selector, buyer, 300e18, 200e18)
        );
        vm.prank(buyer);
        nativeSale.buy{value: 0.3 ether}(0.3 ether, 0);
        // fill the total cap with other buyers
        for (uint256 i = 0; i < 9; ++i) {
            address other = address(uint160(0xB000 + i));
            vm.deal(other, 1 ether);
            vm.prank(other);
            nativeSale.buy{value: 1 ether}(1 ether, 0);
        }
        assertEq(nativeSale.remaining(), 200e18);
        address late = makeAddr("late");
        vm.deal(late, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleTotalCapExceeded.selector, 300e18, 200e18));
        vm.prank(late);
        nativeSale.buy{value: 0.3 ether}(0.3 ether, 0);
    }

    // --- buy (ERC-20, permit) ---

    function test_Buy_ERC20WithAllowance() public {
        vm.warp(start);
        vm.startPrank(buyer);
        usd.approve(address(usdSale), 20e6);
        usdSale.buy(20e6, 10e18);
        vm.stopPrank();
        assertEq(token.balanceOf(buyer), 10e18);
        assertEq(usd.balanceOf(address(usdSale)), 20e6);
    }

    function test_Buy_ERC20RevertsWithValueOrWithoutAllowance() public {
        vm.warp(start);
        vm.startPrank(buyer);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleWrongValue.selector, 1, 0));
        usdSale.buy{value: 1}(20e6, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(usdSale), 0, 20e6)
        );
        usdSale.buy(20e6, 0);
        vm.stopPrank();
    }

    function test_BuyWithPermit_ApprovesAndBuys() public {
        vm.warp(start);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(buyerKey, address(usd), address(usdSale), 40e6, deadline);
        vm.prank(buyer);
        usdSale.buyWithPermit(40e6, 20e18, deadline, v, r, s);
        assertEq(token.balanceOf(buyer), 20e18);
        assertEq(usd.allowance(buyer, address(usdSale)), 0);
    }

    function test_BuyWithPermit_RevertsForNativeSale() public {
        vm.warp(start);
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleWrongValue.selector, 0, 1));
        vm.prank(buyer);
        nativeSale.buyWithPermit(1, 0, 0, 0, 0, 0);
    }

    // --- admin ---

    function test_SetPrice_ChangesQuotesOnlyAdmin() public {
        vm.expectEmit(address(nativeSale));
        emit TokenSale.PriceUpdated(0.002 ether);
        vm.prank(seller);
        nativeSale.setPrice(0.002 ether);
        assertEq(nativeSale.quote(1 ether), 500e18);
        vm.expectRevert(TokenSale.TokenSaleInvalidConfig.selector);
        vm.prank(seller);
        nativeSale.setPrice(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, nativeSale.SALE_ADMIN_ROLE()
            )
        );
        vm.prank(buyer);
        nativeSale.setPrice(1);
    }

    function test_WithdrawProceeds_NativeAndERC20() public {
        vm.warp(start);
        vm.prank(buyer);
        nativeSale.buy{value: 1 ether}(1 ether, 0);
        vm.startPrank(buyer);
        usd.approve(address(usdSale), 10e6);
        usdSale.buy(10e6, 0);
        vm.stopPrank();
        vm.startPrank(seller);
        vm.expectEmit(address(nativeSale));
        emit TokenSale.ProceedsWithdrawn(seller, 1 ether);
        assertEq(nativeSale.withdrawProceeds(), 1 ether);
        assertEq(usdSale.withdrawProceeds(), 10e6);
        vm.stopPrank();
        assertEq(seller.balance, 1 ether);
        assertEq(usd.balanceOf(seller), 10e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, nativeSale.SALE_ADMIN_ROLE()
            )
        );
        vm.prank(buyer);
        nativeSale.withdrawProceeds();
    }

    function test_WithdrawUnsold_OnlyAfterEnd() public {
        vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleNotEnded.selector, end));
        vm.prank(seller);
        nativeSale.withdrawUnsold(seller);
        vm.warp(end);
        vm.expectEmit(address(nativeSale));
        emit TokenSale.UnsoldWithdrawn(seller, CAP);
        vm.prank(seller);
        assertEq(nativeSale.withdrawUnsold(seller), CAP);
        assertEq(token.balanceOf(seller), CAP);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, nativeSale.SALE_ADMIN_ROLE()
            )
        );
        vm.prank(buyer);
        nativeSale.withdrawUnsold(buyer);
    }

    function test_Pause_BlocksBuying() public {
        vm.warp(start);
        vm.prank(seller);
        nativeSale.pause();
        assertFalse(nativeSale.isOpen());
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(buyer);
        nativeSale.buy{value: 1 ether}(1 ether, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, nativeSale.SALE_ADMIN_ROLE()
            )
        );
        vm.prank(buyer);
        nativeSale.unpause();
        vm.prank(seller);
        nativeSale.unpause();
        vm.prank(buyer);
        nativeSale.buy{value: 1 ether}(1 ether, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, nativeSale.SALE_ADMIN_ROLE()
            )
        );
        vm.prank(buyer);
        nativeSale.pause();
    }

    // --- fuzz ---

    function testFuzz_Quote_RoundsDownAndCostOfRoundsUp(uint128 amountIn, uint128 price_) public {
        price_ = uint128(bound(price_, 1, type(uint128).max));
        vm.prank(seller);
        nativeSale.setPrice(price_);
        uint256 out = nativeSale.quote(amountIn);
        assertEq(out, (uint256(amountIn) * 1e18) / price_);
        // paying costOf(out) buys at least out, and never needs more than amountIn
        uint256 cost = nativeSale.costOf(out);
        assertLe(cost, amountIn);
        assertGe(nativeSale.quote(cost), out);
    }

    /// @dev Every buy is predicted from the documented pricing and caps: it delivers exactly the quote, or it reverts
    /// with exactly the error of the cap it would break (no other revert is accepted), and nothing moves.
    function testFuzz_Buy_RespectsCapsAndConservesTokens(uint96[6] memory amounts, uint128 price_) public {
        price_ = uint128(bound(price_, 1e9, 1e20));
        vm.prank(seller);
        nativeSale.setPrice(price_);
        vm.warp(start);
        uint256 bought;
        uint256[3] memory boughtBy;
        for (uint256 i = 0; i < amounts.length; ++i) {
            address who = address(uint160(0xC000 + (i % 3)));
            uint256 amountIn = bound(amounts[i], 1, 100 ether);
            uint256 out = (amountIn * 1e18) / price_;
            uint256 buyerLeft = BUYER_CAP - boughtBy[i % 3];
            bool refused = out == 0 || out > CAP - bought || out > buyerLeft;
            if (out == 0) {
                vm.expectRevert(abi.encodeWithSelector(TokenSale.TokenSaleZeroAmount.selector, amountIn));
            } else if (out > CAP - bought) {
                vm.expectRevert(
                    abi.encodeWithSelector(TokenSale.TokenSaleTotalCapExceeded.selector, out, CAP - bought)
                );
            } else if (out > buyerLeft) {
                vm.expectRevert(
                    abi.encodeWithSelector(TokenSale.TokenSaleBuyerCapExceeded.selector, who, out, buyerLeft)
                );
            }
            vm.deal(who, amountIn);
            vm.prank(who);
            uint256 got = nativeSale.buy{value: amountIn}(amountIn, out);
            if (refused) {
                assertEq(who.balance, amountIn, "a refused buy takes nothing");
            } else {
                assertEq(got, out);
                assertEq(who.balance, 0, "a buy takes exactly amountIn");
                bought += got;
                boughtBy[i % 3] += got;
            }
            assertEq(nativeSale.purchased(who), boughtBy[i % 3]);
            assertEq(token.balanceOf(who), boughtBy[i % 3]);
            assertLe(nativeSale.purchased(who), BUYER_CAP);
        }
        assertEq(nativeSale.sold(), bought);
        assertLe(nativeSale.sold(), CAP);
        assertEq(token.balanceOf(address(nativeSale)), CAP - bought);
    }
}
