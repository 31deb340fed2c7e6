// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Test} from "./utils/Test.sol";
import {Merkle} from "./utils/Merkle.sol";
import {Reverts} from "./utils/Reverts.sol";
import {TagToken} from "../src/TagToken.sol";
import {TipRouter} from "../src/TipRouter.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {VestingVault} from "../src/VestingVault.sol";

/**
 * @dev Drives a {VestingVault} at random: schedules, a Merkle drop, claims of all kinds, revocations, pauses, time.
 *
 * Every call is predicted from an independent model of each schedule (as created: beneficiary, total, start, cliff,
 * duration, revocation time, released so far): either it pays exactly what the model says to the beneficiary, or it
 * reverts with exactly the error the model names and moves nothing. Any other revert is raised again and fails the
 * run (`fail_on_revert`).
 */
contract VaultHandler is Test {
    struct Model {
        address beneficiary;
        uint256 total; // as created: a revocation does not change it here
        uint64 start;
        uint64 cliff;
        uint64 duration;
        bool revocable;
        bool revoked;
        uint64 revokedAt;
        uint256 released;
    }

    struct Leaf {
        address who;
        uint256 total;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        bool claimed;
    }

    address internal constant STRANGER = address(0x5757);

    TagToken public token;
    VestingVault public vault;
    uint256 public dropId;
    bool public dropClosed;

    // ghosts
    uint256 public deposited;
    uint256 public claimed;
    uint256 public refunded; // revocations and closed drops
    mapping(string kind => uint256) public succeeded;
    mapping(string kind => mapping(bytes4 error => uint256)) public rejected;

    address[3] internal _beneficiaries;
    Model[] internal _models;
    mapping(address beneficiary => uint256[]) internal _idsOf;
    Leaf[] internal _leaves;
    bytes32[] internal _leafHashes;

    /// @dev Actions run so far in this run (a replayed or shrunk failure is much shorter than a full run).
    uint256 public calls;

    /// @dev The longest a pause lasts, in actions: the runner may never pick `togglePause` again in a run, and a
    /// pause that outlives the run refuses every claim in it (seen in CI: paused by the first action, no unpause in
    /// the 64 that followed, "no claim succeeded"). Bounded, a pause is still met by claims of every kind.
    uint256 public constant MAX_PAUSE_ACTIONS = 8;
    uint256 internal _pausedAt;

    modifier counted() {
        ++calls;
        if (vault.paused() && calls > _pausedAt + MAX_PAUSE_ACTIONS) vault.unpause();
        _;
    }

    constructor() {
        token = new TagToken("Inv", "INV", address(this), 1e40, address(0));
        vault = new VestingVault(token, address(this), address(0));
        token.approve(address(vault), type(uint256).max);
        _beneficiaries = [address(0xA11CE), address(0xB0B), address(0xCA201)];
        uint256 sum;
        for (uint256 i = 0; i < 6; ++i) {
            Leaf memory leaf = Leaf({
                who: _beneficiaries[i % 3],
                total: (i + 1) * 1e21,
                start: uint64(block.timestamp + i * 1 days),
                cliff: uint64(i * 2 days),
                duration: uint64((i + 1) * 10 days),
                claimed: false
            });
            _leaves.push(leaf);
            _leafHashes.push(vault.merkleLeaf(leaf.who, leaf.total, leaf.start, leaf.cliff, leaf.duration));
            sum += leaf.total;
        }
        dropId = vault.addMerkleRoot(Merkle.root(_leafHashes), sum, true);
        deposited += sum;
        // One schedule per beneficiary from the start (vested, vesting, before its cliff), so claims have targets.
        _create(_beneficiaries[0], 3e21, uint64(block.timestamp - 60 days), 0, 30 days, true);
        _create(_beneficiaries[1], 5e21, uint64(block.timestamp - 10 days), 5 days, 40 days, true);
        _create(_beneficiaries[2], 7e21, uint64(block.timestamp), 20 days, 90 days, false);
    }

    /// @dev The actions the invariant runner calls.
    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](10);
        selectors[0] = this.createSchedule.selector;
        selectors[1] = this.claim.selector;
        selectors[2] = this.claimFor.selector;
        selectors[3] = this.claimAll.selector;
        selectors[4] = this.claimMerkle.selector;
        selectors[5] = this.revoke.selector;
        selectors[6] = this.closeDrop.selector;
        selectors[7] = this.togglePause.selector;
        selectors[8] = this.warp.selector;
        selectors[9] = this.warpToMilestone.selector;
    }

    // --- the model ---

    function scheduleCount() external view returns (uint256) {
        return _models.length;
    }

    function model(uint256 id) external view returns (Model memory) {
        return _models[id];
    }

    function idsOf(uint256 who) external view returns (address beneficiary, uint256[] memory ids) {
        beneficiary = _beneficiaries[who % 3];
        ids = _idsOf[beneficiary];
    }

    /// @dev Vested at `t` as the vault's documentation defines it, from the schedule as created and its revocation
    /// time: 0 before `start + cliff`, everything from `start + duration`, linear from `start` in between.
    function expectedVested(uint256 id, uint256 t) public view returns (uint256) {
        Model storage m = _models[id];
        if (m.revoked) t = m.revokedAt;
        uint256 start = m.start;
        if (t < start + m.cliff) return 0;
        if (t >= start + m.duration) return m.total;
        return (m.total * (t - start)) / m.duration;
    }

    function expectedClaimable(uint256 id) public view returns (uint256) {
        return expectedVested(id, block.timestamp) - _models[id].released;
    }

    /// @dev What closing the drop now refunds: the totals of the leaves not claimed yet.
    function expectedUnallocated() public view returns (uint256 sum) {
        for (uint256 i = 0; i < _leaves.length; ++i) {
            if (!_leaves[i].claimed) sum += _leaves[i].total;
        }
    }

    // --- actions ---

    function createSchedule(uint256 who, uint256 total, uint64 startOffset, uint64 cliff, uint64 duration, uint8 mode)
        external counted
    {
        address beneficiary = _beneficiaries[who % 3];
        total = bound(total, 1, 1e30);
        duration = uint64(bound(duration, 0, 400 days));
        cliff = uint64(bound(cliff, 0, duration));
        uint64 start = uint64(bound(startOffset, block.timestamp - 100 days, block.timestamp + 100 days));
        if (mode % 10 == 0) {
            // invalid: a cliff after the end, or nothing to vest
            if (mode % 20 == 0) total = 0;
            else cliff = duration + 1;
            bytes memory expected =
                abi.encodeWithSelector(VestingVault.VestingVaultInvalidSchedule.selector, beneficiary, total, cliff, duration);
            uint256 held = token.balanceOf(address(vault));
            try vault.createSchedule(beneficiary, total, start, cliff, duration, mode % 2 == 0) {
                revert Reverts.RevertsExpectedRevert(VestingVault.VestingVaultInvalidSchedule.selector);
            } catch (bytes memory reason) {
                Reverts.checkExact(reason, expected);
            }
            assertEq(token.balanceOf(address(vault)), held, "a rejected schedule takes nothing");
            rejected["createSchedule"][VestingVault.VestingVaultInvalidSchedule.selector]++;
            return;
        }
        _create(beneficiary, total, start, cliff, duration, mode % 2 == 0);
        succeeded["createSchedule"]++;
    }

    function claim(uint256 seed) external counted {
        uint256 id = bound(seed, 0, _models.length - 1);
        address beneficiary = _models[id].beneficiary;
        address caller = seed % 8 == 7 ? STRANGER : beneficiary;
        uint256 due = expectedClaimable(id);
        bytes memory expected;
        if (vault.paused()) {
            expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        } else if (caller != beneficiary) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, id, caller);
        } else if (due == 0) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id);
        }
        if (_call("claim", caller, abi.encodeCall(VestingVault.claim, (id)), beneficiary, due, expected)) {
            _models[id].released += due;
        }
    }

    function claimFor(uint256 seed) external counted {
        uint256 id = bound(seed, 0, _models.length - 1);
        uint256 due = expectedClaimable(id);
        bytes memory expected;
        if (vault.paused()) {
            expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        } else if (due == 0) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id);
        }
        // anyone may push: the tokens go to the beneficiary, never to the caller
        if (_call("claimFor", STRANGER, abi.encodeCall(VestingVault.claimFor, (id)), _models[id].beneficiary, due, expected))
        {
            _models[id].released += due;
        }
        assertEq(token.balanceOf(STRANGER), 0, "claimFor pays the caller nothing");
    }

    /// @dev Claims all of a beneficiary's schedules in one batch; sometimes with a repeated id (releases once), with
    /// someone else's schedule (the whole batch reverts), or with no id at all.
    function claimAll(uint256 who, uint8 mode) external counted {
        address beneficiary = _beneficiaries[who % 3];
        uint256[] memory own = _idsOf[beneficiary];
        uint256 due;
        for (uint256 i = 0; i < own.length; ++i) {
            due += expectedClaimable(own[i]);
        }
        // schedules 0, 1 and 2 are the initial ones of beneficiaries 0, 1 and 2
        uint256 foreign = (who % 3 + 1) % 3;
        uint256[] memory ids;
        if (mode % 16 == 15) {
            ids = new uint256[](0);
        } else {
            ids = new uint256[](own.length + (mode % 4 == 1 || mode % 4 == 2 ? 1 : 0));
            for (uint256 i = 0; i < own.length; ++i) {
                ids[i] = own[i];
            }
            if (mode % 4 == 1) ids[own.length] = foreign;
            if (mode % 4 == 2) ids[own.length] = own[mode % own.length];
        }
        bytes memory expected;
        if (vault.paused()) {
            expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        } else if (ids.length == 0) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultEmptyBatch.selector);
        } else if (mode % 4 == 1) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, foreign, beneficiary);
        } else if (due == 0) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, ids[0]);
        }
        if (expected.length != 0) due = 0;
        if (_call("claimMany", beneficiary, abi.encodeCall(VestingVault.claimMany, (ids)), beneficiary, due, expected)) {
            for (uint256 i = 0; i < own.length; ++i) {
                _models[own[i]].released = expectedVested(own[i], block.timestamp);
            }
        }
    }

    /// @dev Claims a leaf of the drop, claimed or not: a claimed leaf must be refused with
    /// {VestingVaultLeafAlreadyClaimed} and pay nothing; sometimes with an altered total (refused as an invalid proof).
    function claimMerkle(uint256 index, uint8 mode) external counted {
        index = bound(index, 0, _leaves.length - 1);
        Leaf memory leaf = _leaves[index];
        bool altered = mode % 8 == 0;
        uint256 total = altered ? leaf.total + 1 : leaf.total;
        bytes32 hash = vault.merkleLeaf(leaf.who, total, leaf.start, leaf.cliff, leaf.duration);
        bytes memory expected;
        if (vault.paused()) {
            expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        } else if (dropClosed) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultDropClosed.selector, dropId);
        } else if (leaf.claimed && !altered) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultLeafAlreadyClaimed.selector, dropId, hash);
        } else if (altered) {
            expected = abi.encodeWithSelector(VestingVault.VestingVaultInvalidProof.selector, dropId, hash);
        }
        uint256 id = _models.length;
        if (expected.length == 0) {
            // the model of the schedule the leaf becomes, to know what it pays at once
            _push(leaf.who, leaf.total, leaf.start, leaf.cliff, leaf.duration, true);
        }
        uint256 due = expected.length == 0 ? expectedVested(id, block.timestamp) : 0;
        if (_call("claimMerkle", STRANGER, _claimMerkleCall(index, total), leaf.who, due, expected)) {
            _leaves[index].claimed = true;
            _models[id].released = due;
            assertEq(vault.getSchedule(id).beneficiary, leaf.who, "the leaf became the next schedule");
        }
    }

    function revoke(uint256 seed) external counted {
        uint256 id = bound(seed, 0, _models.length - 1);
        Model storage m = _models[id];
        uint256 before = token.balanceOf(address(this));
        if (!m.revocable || m.revoked) {
            try vault.revoke(id) {
                revert Reverts.RevertsExpectedRevert(VestingVault.VestingVaultNotRevocable.selector);
            } catch (bytes memory reason) {
                Reverts.checkExact(reason, abi.encodeWithSelector(VestingVault.VestingVaultNotRevocable.selector, id));
            }
            assertEq(token.balanceOf(address(this)), before, "a refused revocation refunds nothing");
            rejected["revoke"][VestingVault.VestingVaultNotRevocable.selector]++;
            return;
        }
        uint256 refund = m.total - expectedVested(id, block.timestamp);
        assertEq(vault.revoke(id), refund, "refund: the unvested part");
        assertEq(token.balanceOf(address(this)) - before, refund, "refund paid to the revoker");
        m.revoked = true;
        m.revokedAt = uint64(block.timestamp);
        refunded += refund;
        succeeded["revoke"]++;
    }

    function closeDrop(uint256 chance) external counted {
        if (chance % 16 != 0) return; // rarely: it ends every Merkle claim of the run
        uint256 before = token.balanceOf(address(this));
        if (dropClosed) {
            try vault.closeMerkleDrop(dropId) {
                revert Reverts.RevertsExpectedRevert(VestingVault.VestingVaultDropClosed.selector);
            } catch (bytes memory reason) {
                Reverts.checkExact(reason, abi.encodeWithSelector(VestingVault.VestingVaultDropClosed.selector, dropId));
            }
            rejected["closeDrop"][VestingVault.VestingVaultDropClosed.selector]++;
            return;
        }
        uint256 refund = expectedUnallocated();
        assertEq(vault.closeMerkleDrop(dropId), refund, "refund: the unclaimed leaves");
        assertEq(token.balanceOf(address(this)) - before, refund, "refund paid to the closer");
        dropClosed = true;
        refunded += refund;
        succeeded["closeDrop"]++;
    }

    function togglePause(uint256 chance) external counted {
        if (vault.paused()) {
            vault.unpause();
        } else if (chance % 4 == 0) {
            vault.pause();
            _pausedAt = calls;
        }
    }

    function warp(uint256 seconds_) external counted {
        vm.warp(block.timestamp + bound(seconds_, 1, 30 days));
    }

    /// @dev Lands exactly on a schedule's cliff or end, where off-by-one errors live.
    function warpToMilestone(uint256 seed) external counted {
        Model storage m = _models[bound(seed, 0, _models.length - 1)];
        uint256 target = uint256(m.start) + (seed % 2 == 0 ? m.cliff : m.duration);
        if (seed % 4 >= 2 && target > 0) target -= 1; // or the second before
        if (target > block.timestamp) vm.warp(target);
    }

    /// @dev After a run: unpause, wait until every schedule ended, push everything due; each schedule then released
    /// exactly what the model says it vests in full, and the vault keeps only the open drop's unclaimed leaves.
    function finish() external {
        if (vault.paused()) vault.unpause();
        uint256 last = block.timestamp;
        for (uint256 id = 0; id < _models.length; ++id) {
            uint256 end = uint256(_models[id].start) + _models[id].duration;
            if (end > last) last = end;
        }
        vm.warp(last + 1);
        for (uint256 id = 0; id < _models.length; ++id) {
            uint256 due = expectedClaimable(id);
            if (due == 0) continue;
            address beneficiary = _models[id].beneficiary;
            uint256 before = token.balanceOf(beneficiary);
            vault.claimFor(id);
            assertEq(token.balanceOf(beneficiary) - before, due, "final claim pays the rest");
            _models[id].released += due;
            claimed += due;
        }
        for (uint256 id = 0; id < _models.length; ++id) {
            // in full: the total, or what had vested at the revocation
            assertEq(vault.getSchedule(id).released, expectedVested(id, block.timestamp), "released in full");
        }
        assertEq(token.balanceOf(address(vault)), dropClosed ? 0 : expectedUnallocated(), "only unclaimed leaves stay");
    }

    // --- helpers ---

    function _claimMerkleCall(uint256 index, uint256 total) private view returns (bytes memory) {
        Leaf storage leaf = _leaves[index];
        return abi.encodeCall(
            VestingVault.claimMerkle,
            (dropId, leaf.who, total, leaf.start, leaf.cliff, leaf.duration, Merkle.proof(_leafHashes, index))
        );
    }

    function _create(address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration, bool revocable)
        private
    {
        uint256 id = vault.createSchedule(beneficiary, total, start, cliff, duration, revocable);
        assertEq(id, _models.length, "ids are sequential");
        _push(beneficiary, total, start, cliff, duration, revocable);
        deposited += total;
    }

    function _push(address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration, bool revocable)
        private
    {
        _idsOf[beneficiary].push(_models.length);
        _models.push(
            Model({
                beneficiary: beneficiary,
                total: total,
                start: start,
                cliff: cliff,
                duration: duration,
                revocable: revocable,
                revoked: false,
                revokedAt: 0,
                released: 0
            })
        );
    }

    /**
     * @dev Calls the vault as `caller`. With empty `expected`, the call must succeed and pay `payee` exactly `due`;
     * otherwise it must revert with exactly `expected` (any other revert is raised again) and move no token.
     * Returns whether it succeeded.
     */
    function _call(
        string memory kind,
        address caller,
        bytes memory callData,
        address payee,
        uint256 due,
        bytes memory expected
    ) private returns (bool) {
        uint256 payeeBefore = token.balanceOf(payee);
        uint256 vaultBefore = token.balanceOf(address(vault));
        vm.prank(caller);
        (bool ok, bytes memory result) = address(vault).call(callData);
        if (expected.length == 0) {
            if (!ok) Reverts.bubble(result);
            assertEq(token.balanceOf(payee) - payeeBefore, due, string.concat(kind, ": pays what the model says"));
            assertEq(vaultBefore - token.balanceOf(address(vault)), due, string.concat(kind, ": from the vault"));
            claimed += due;
            succeeded[kind]++;
            return true;
        }
        if (ok) revert Reverts.RevertsExpectedRevert(Reverts.selector(expected));
        Reverts.checkExact(result, expected);
        assertEq(token.balanceOf(payee), payeeBefore, string.concat(kind, ": a refused claim pays nothing"));
        assertEq(token.balanceOf(address(vault)), vaultBefore, string.concat(kind, ": the vault keeps everything"));
        rejected[kind][Reverts.selector(expected)]++;
        return false;
    }
}

/// @dev Drives a native {TokenSale} at random: buys by a few buyers (each predicted: delivered, or refused with the
/// exact error), price changes, pauses, withdrawals, time.
contract SaleHandler is Test {
    TagToken public token;
    TokenSale public sale;
    address[4] public buyers;
    uint256 public ghostSold;
    uint256 public ghostPaid;
    uint256 public withdrawn;
    uint256 public constant CAP = 50_000e18;
    uint256 public constant BUYER_CAP = 20_000e18;
    uint64 public immutable START;
    uint64 public immutable END;
    uint256 internal _price = 1e15;
    mapping(address buyer => uint256) internal _bought;
    mapping(string kind => uint256) public succeeded;
    mapping(string kind => mapping(bytes4 error => uint256)) public rejected;

    /// @dev Actions run so far in this run (a replayed or shrunk failure is much shorter than a full run).
    uint256 public calls;

    /// @dev The longest a pause lasts, in actions: the runner may never pick `togglePause` again in a run, and a
    /// pause that outlives the run refuses every buy in it ("no buy succeeded in the run"). Bounded, a pause is
    /// still met by buys.
    uint256 public constant MAX_PAUSE_ACTIONS = 8;
    uint256 internal _pausedAt;

    modifier counted() {
        ++calls;
        if (sale.paused() && calls > _pausedAt + MAX_PAUSE_ACTIONS) sale.unpause();
        _;
    }

    constructor() {
        START = uint64(block.timestamp);
        END = uint64(block.timestamp + 60 days);
        token = new TagToken("Sold", "SLD", address(this), CAP, address(0));
        sale = new TokenSale(
            address(0),
            TokenSale.Config({
                saleToken: token,
                paymentToken: address(0),
                price: _price,
                start: START,
                end: END,
                totalCap: CAP,
                perBuyerCap: BUYER_CAP,
                admin: address(this),
                proceedsRecipient: address(this)
            })
        );
        token.transfer(address(sale), CAP);
        buyers = [address(0xB1), address(0xB2), address(0xB3), address(0xB4)];
    }

    receive() external payable {}

    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](6);
        selectors[0] = this.buy.selector;
        selectors[1] = this.buy.selector;
        selectors[2] = this.setPrice.selector;
        selectors[3] = this.togglePause.selector;
        selectors[4] = this.withdraw.selector;
        selectors[5] = this.warp.selector;
    }

    /// @dev The error a buy of `amountIn` by `buyer` with `minOut` must revert with now (empty: it must succeed),
    /// in the order the documentation lists the requirements.
    function expectedBuyError(address buyer, uint256 amountIn, uint256 out, uint256 minOut)
        public
        view
        returns (bytes memory)
    {
        if (sale.paused()) return abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        if (block.timestamp < START || block.timestamp >= END) {
            return abi.encodeWithSelector(TokenSale.TokenSaleNotOpen.selector, block.timestamp, START, END);
        }
        if (out == 0) return abi.encodeWithSelector(TokenSale.TokenSaleZeroAmount.selector, amountIn);
        if (out < minOut) return abi.encodeWithSelector(TokenSale.TokenSaleSlippage.selector, out, minOut);
        if (out > CAP - ghostSold) {
            return abi.encodeWithSelector(TokenSale.TokenSaleTotalCapExceeded.selector, out, CAP - ghostSold);
        }
        uint256 left = BUYER_CAP - _bought[buyer];
        if (out > left) return abi.encodeWithSelector(TokenSale.TokenSaleBuyerCapExceeded.selector, buyer, out, left);
        return "";
    }

    function buy(uint256 who, uint256 amountIn, uint256 minOutSlack, uint8 mode) external counted {
        address buyer = buyers[who % 4];
        // small payments reach "buys nothing" at high prices; large ones reach the caps
        if (mode % 3 == 0) {
            // a payment that fits both caps, when one does, so that runs keep buying whatever the price
            uint256 left = CAP - ghostSold;
            if (BUYER_CAP - _bought[buyer] < left) left = BUYER_CAP - _bought[buyer];
            uint256 least = (_price + 1e18 - 1) / 1e18; // buys at least one base unit
            uint256 most = (left * _price) / 1e18; // buys at most `left`
            amountIn = least <= most ? bound(amountIn, least, most) : bound(amountIn, 1, 30 ether);
        } else {
            amountIn = mode % 5 == 0 ? bound(amountIn, 1, 1e6) : bound(amountIn, 1, 30 ether);
        }
        uint256 out = (amountIn * 1e18) / _price; // the documented pricing, rounded down
        uint256 minOut = mode % 7 == 0 ? out + 1 + bound(minOutSlack, 0, 1e18) : out - bound(minOutSlack, 0, out);
        bytes memory expected = expectedBuyError(buyer, amountIn, out, minOut);
        vm.deal(buyer, amountIn);
        uint256 tokensBefore = token.balanceOf(buyer);
        vm.prank(buyer);
        try sale.buy{value: amountIn}(amountIn, minOut) returns (uint256 got) {
            if (expected.length != 0) revert Reverts.RevertsExpectedRevert(Reverts.selector(expected));
            assertEq(got, out, "buy: the documented amount");
            assertEq(token.balanceOf(buyer) - tokensBefore, out, "buy: delivered at once");
            assertEq(buyer.balance, 0, "buy: takes exactly amountIn");
            ghostSold += got;
            ghostPaid += amountIn;
            _bought[buyer] += got;
            succeeded["buy"]++;
        } catch (bytes memory reason) {
            if (expected.length == 0) Reverts.bubble(reason);
            Reverts.checkExact(reason, expected);
            assertEq(token.balanceOf(buyer), tokensBefore, "buy: a refused buy delivers nothing");
            assertEq(buyer.balance, amountIn, "buy: a refused buy takes nothing");
            rejected["buy"][Reverts.selector(expected)]++;
        }
    }

    function setPrice(uint256 price) external counted {
        _price = bound(price, 1e12, 1e20);
        sale.setPrice(_price);
    }

    function togglePause(uint256 chance) external counted {
        if (sale.paused()) {
            sale.unpause();
        } else if (chance % 4 == 0) {
            sale.pause();
            _pausedAt = calls;
        }
    }

    function withdraw() external counted {
        uint256 amount = sale.withdrawProceeds();
        assertEq(amount, ghostPaid - withdrawn, "withdraw: every proceed not yet withdrawn");
        withdrawn += amount;
    }

    function warp(uint256 seconds_) external counted {
        vm.warp(block.timestamp + bound(seconds_, 1, 5 days));
    }
}

/// @dev Drives the {TipRouter}: fee changes (including above the bound, which must be refused by name) and tips.
contract FeeHandler is Test {
    TipRouter public router;
    address public constant FEE_RECIPIENT = address(0xFEE);
    uint256 public tipped;
    uint256 public expectedFees;
    uint256 public acceptedFeeChanges;
    uint256 public rejectedFeeChanges;
    uint256 public tips;

    /// @dev Actions run so far in this run (a replayed or shrunk failure is much shorter than a full run).
    uint256 public calls;

    modifier counted() {
        ++calls;
        _;
    }

    constructor() {
        router = new TipRouter(address(this), FEE_RECIPIENT, 100, address(0));
    }

    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](3);
        selectors[0] = this.setFee.selector;
        selectors[1] = this.tip.selector;
        selectors[2] = this.distribute.selector;
    }

    function setFee(uint16 bps) external counted {
        bps = uint16(bound(bps, 0, 1_000)); // half above the bound
        try router.setFee(bps, FEE_RECIPIENT) {
            if (bps > router.MAX_FEE_BPS()) revert Reverts.RevertsExpectedRevert(TipRouter.TipRouterInvalidFee.selector);
            acceptedFeeChanges++;
        } catch (bytes memory reason) {
            if (bps <= router.MAX_FEE_BPS()) Reverts.bubble(reason);
            Reverts.checkExact(
                reason, abi.encodeWithSelector(TipRouter.TipRouterInvalidFee.selector, bps, FEE_RECIPIENT)
            );
            rejectedFeeChanges++;
        }
    }

    function tip(uint256 amount) external counted {
        amount = bound(amount, 1, 1000 ether);
        vm.deal(address(this), amount);
        expectedFees += (amount * router.feeBps()) / 10_000;
        router.tip{value: amount}(address(0), address(0xC0FFEE), amount, "");
        tipped += amount;
        tips++;
    }

    function distribute(uint256 a, uint256 b) external counted {
        a = bound(a, 1, 100 ether);
        b = bound(b, 1, 100 ether);
        address[] memory rs = new address[](2);
        uint256[] memory as_ = new uint256[](2);
        (rs[0], rs[1], as_[0], as_[1]) = (address(0xC0FFEE), address(0xBEEF), a, b);
        vm.deal(address(this), a + b);
        // the fee is taken per recipient, each rounded down
        expectedFees += (a * router.feeBps()) / 10_000 + (b * router.feeBps()) / 10_000;
        router.distribute{value: a + b}(address(0), rs, as_, "");
        tipped += a + b;
        tips++;
    }
}

contract VestingVaultInvariantTest is Test {
    VaultHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new VaultHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    // Each invariant_ function is a campaign of its own (runs x depth calls): related checks share one.

    /// @dev The vault's books balance (both checks below).
    function invariant_Accounting() public view {
        _balanceIsDepositedMinusPaidOut();
        _conservation();
    }

    /// @dev Every schedule follows the independent model, and `scheduleIdsOf` lists them (both checks below).
    function invariant_VestingFollowsTheModel() public view {
        _schedulesMatchTheModel();
        _scheduleIdsOf();
    }

    /// @dev The vault holds exactly what was deposited minus what left it, so it never pays out more than it holds.
    function _balanceIsDepositedMinusPaidOut() internal view {
        assertEq(
            handler.token().balanceOf(address(handler.vault())),
            handler.deposited() - handler.claimed() - handler.refunded()
        );
    }

    /// @dev claimed + still owed on schedules + revoked/refunded + unallocated in open drops == deposited.
    function _conservation() internal view {
        VestingVault vault = handler.vault();
        uint256 owed;
        uint256 released;
        for (uint256 id = 0; id < vault.scheduleCount(); ++id) {
            VestingVault.Schedule memory s = vault.getSchedule(id);
            owed += s.total - s.released;
            released += s.released;
        }
        VestingVault.MerkleDrop memory drop = vault.getMerkleDrop(handler.dropId());
        uint256 unallocated = drop.closed ? 0 : drop.deposited - drop.allocated;
        assertEq(released, handler.claimed(), "released == claimed");
        assertEq(handler.claimed() + owed + handler.refunded() + unallocated, handler.deposited(), "conservation");
    }

    /// @dev Every schedule matches the independent model: released is what was paid, never more than the model's
    /// vested amount; claimable is the model's vested minus released; a revoked schedule keeps what had vested at
    /// its revocation and refunded the rest.
    function _schedulesMatchTheModel() internal view {
        VestingVault vault = handler.vault();
        assertEq(vault.scheduleCount(), handler.scheduleCount(), "schedule count");
        for (uint256 id = 0; id < handler.scheduleCount(); ++id) {
            VaultHandler.Model memory m = handler.model(id);
            VestingVault.Schedule memory s = vault.getSchedule(id);
            uint256 vested = handler.expectedVested(id, block.timestamp);
            assertEq(s.beneficiary, m.beneficiary, "beneficiary");
            assertEq(s.released, m.released, "released == paid to the beneficiary");
            assertLe(s.released, vested, "released <= vested (model)");
            assertEq(vault.claimable(id), vested - m.released, "claimable == vested (model) - released");
            assertEq(vault.vestedAmount(id, uint64(block.timestamp)), vested, "vestedAmount == model");
            assertEq(s.revoked, m.revoked, "revoked");
            if (m.revoked) {
                assertEq(s.total, vested, "a revoked schedule keeps what had vested");
                assertEq(vault.revokedAmount(id), m.total - vested, "and refunded the rest");
            } else {
                assertEq(s.total, m.total, "total");
            }
        }
    }

    /// @dev `scheduleIdsOf` (an interop function) lists each beneficiary's schedules in creation order.
    function _scheduleIdsOf() internal view {
        for (uint256 who = 0; who < 3; ++who) {
            (address beneficiary, uint256[] memory ids) = handler.idsOf(who);
            assertEq(handler.vault().scheduleIdsOf(beneficiary), ids);
        }
    }

    /// @dev A full run really claimed (a handler that only ever reverts cannot pass), then everything drains exactly.
    function afterInvariant() public {
        handler.finish();
        if (handler.calls() < MIN_CALLS) return;
        uint256 claims = handler.succeeded("claim") + handler.succeeded("claimFor") + handler.succeeded("claimMany")
            + handler.succeeded("claimMerkle");
        assertGt(claims, 0, "no claim succeeded in the run");
    }
}

contract TokenSaleInvariantTest is Test {
    SaleHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new SaleHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    function invariant_NeverBeyondCaps() public view {
        _caps();
        _proceedsConserved();
    }

    function _caps() internal view {
        TokenSale sale = handler.sale();
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 bought = sale.purchased(handler.buyers(i));
            assertLe(bought, handler.BUYER_CAP(), "per-buyer cap");
            sum += bought;
            assertEq(handler.token().balanceOf(handler.buyers(i)), bought);
        }
        assertEq(sum, sale.sold());
        assertEq(sale.sold(), handler.ghostSold());
        assertLe(sale.sold(), handler.CAP(), "total cap");
        assertEq(sale.remaining(), handler.CAP() - sale.sold());
        assertEq(handler.token().balanceOf(address(sale)), handler.CAP() - sale.sold());
    }

    /// @dev Every wei paid is in the sale or was withdrawn to the proceeds recipient.
    function _proceedsConserved() internal view {
        assertEq(address(handler.sale()).balance, handler.ghostPaid() - handler.withdrawn());
    }

    function afterInvariant() public view {
        if (handler.calls() < MIN_CALLS) return;
        uint256 refused = handler.rejected("buy", Pausable.EnforcedPause.selector)
            + handler.rejected("buy", TokenSale.TokenSaleNotOpen.selector)
            + handler.rejected("buy", TokenSale.TokenSaleZeroAmount.selector)
            + handler.rejected("buy", TokenSale.TokenSaleSlippage.selector)
            + handler.rejected("buy", TokenSale.TokenSaleTotalCapExceeded.selector)
            + handler.rejected("buy", TokenSale.TokenSaleBuyerCapExceeded.selector);
        assertGt(handler.succeeded("buy") + refused, 0, "no buy was attempted");
        assertGt(handler.succeeded("buy"), 0, "no buy succeeded in the run");
    }
}

contract TipFeeInvariantTest is Test {
    FeeHandler internal handler;

    function setUp() public {
        handler = new FeeHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    function invariant_FeeNeverAboveBound() public view {
        TipRouter router = handler.router();
        assertLe(router.feeBps(), router.MAX_FEE_BPS());
        // everything the fee recipient ever got is within the bound of everything tipped, and exactly the fees due
        assertLe(handler.FEE_RECIPIENT().balance * 10_000, handler.tipped() * router.MAX_FEE_BPS());
        assertEq(handler.FEE_RECIPIENT().balance, handler.expectedFees(), "fees as quoted");
        assertEq(address(0xC0FFEE).balance + address(0xBEEF).balance + handler.expectedFees(), handler.tipped());
        assertEq(address(router).balance, 0);
    }

    function afterInvariant() public view {
        if (handler.calls() < MIN_CALLS) return;
        assertGt(handler.tips(), 0, "no tip in the run");
    }
}

/// @dev The handlers' own rules, on fixed sequences: what a random run relies on without checking each time.
contract InvariantHandlersTest is Test {
    function setUp() public {
        vm.warp(1_700_000_000);
    }

    /// @dev A pause the runner never lifts ends after MAX_PAUSE_ACTIONS actions, so a run keeps claims that succeed.
    function test_VaultHandler_APauseEndsByItself() public {
        VaultHandler handler = new VaultHandler();
        handler.togglePause(0);
        assertTrue(handler.vault().paused());
        uint256 limit = handler.MAX_PAUSE_ACTIONS();
        for (uint256 i = 0; i < limit; ++i) {
            handler.claimFor(0);
        }
        assertEq(handler.rejected("claimFor", Pausable.EnforcedPause.selector), limit, "refused while paused");
        assertEq(handler.succeeded("claimFor"), 0);
        handler.claimFor(0);
        assertFalse(handler.vault().paused());
        assertEq(handler.succeeded("claimFor"), 1, "the first action after the pause claims");
    }

    function test_SaleHandler_APauseEndsByItself() public {
        SaleHandler handler = new SaleHandler();
        handler.togglePause(0);
        assertTrue(handler.sale().paused());
        uint256 limit = handler.MAX_PAUSE_ACTIONS();
        for (uint256 i = 0; i < limit; ++i) {
            handler.warp(1);
        }
        assertTrue(handler.sale().paused(), "lasts MAX_PAUSE_ACTIONS actions");
        handler.warp(1);
        assertFalse(handler.sale().paused());
    }
}
